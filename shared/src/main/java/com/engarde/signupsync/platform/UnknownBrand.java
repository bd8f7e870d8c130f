package com.engarde.signupsync.platform;

import java.util.UUID;

/** No brand has this id. */
public class UnknownBrand extends RuntimeException {
    public UnknownBrand(UUID id) {
        super("no brand has the id " + id);
    }
}
