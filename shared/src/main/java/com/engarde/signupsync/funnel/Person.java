package com.engarde.signupsync.funnel;

/** Who a funnel event is about. The email is in its one normal form ({@link Emails#normalize}); it is the lead's identity. */
public record Person(String email, String firstName, String lastName, String phone) {
}
