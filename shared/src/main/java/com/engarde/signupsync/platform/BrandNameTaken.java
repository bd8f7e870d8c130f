package com.engarde.signupsync.platform;

/** A brand of the same tenant already has this name, whatever its case. */
public class BrandNameTaken extends RuntimeException {
    public BrandNameTaken(String brandName) {
        super("a brand named '" + brandName + "' already exists");
    }
}
