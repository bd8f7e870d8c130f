package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.NotFound;

import java.util.UUID;

/** No brand has this id. */
public class UnknownBrand extends NotFound {
    public UnknownBrand(UUID id) {
        super("brand_id", "no brand has the id " + id);
    }
}
