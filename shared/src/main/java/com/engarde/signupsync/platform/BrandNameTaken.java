package com.engarde.signupsync.platform;

import com.engarde.signupsync.failure.Conflict;

/** A brand of the same tenant already has this name, whatever its case. */
public class BrandNameTaken extends Conflict {
    public BrandNameTaken(String brandName) {
        super("brand_name", "a brand named '" + brandName + "' already exists");
    }
}
