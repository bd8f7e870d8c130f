package com.engarde.signupsync.funnel;

/** Who a funnel event is about. The email is normalized (trimmed, lower-cased); it is the lead's identity. */
public record Person(String email, String firstName, String lastName, String phone) {
}
