package com.engarde.signupsync.admin;

import com.engarde.signupsync.failure.Forbidden;

/** A valid admin JWT whose holder may not do this: not a platform admin, or not a superuser where one is needed. */
public class AdminForbidden extends Forbidden {

    public AdminForbidden(String message) {
        super(null, message);
    }
}
