package com.engarde.signupsync.credentials;

/** Where a source's credentials came from, as an admin listing shows it (never the values). */
public enum CredentialOrigin {
    /** Stored by an admin, sealed in the database. */
    STORED,
    /** The bootstrap: environment variables locally, Secrets Manager in AWS. */
    ENVIRONMENT
}
