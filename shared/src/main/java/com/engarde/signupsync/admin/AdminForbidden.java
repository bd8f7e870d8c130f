package com.engarde.signupsync.admin;

/** A valid admin JWT whose holder may not do this: not a platform admin, or not a superuser where one is needed. */
public class AdminForbidden extends RuntimeException {

    public AdminForbidden(String message) {
        super(message);
    }
}
