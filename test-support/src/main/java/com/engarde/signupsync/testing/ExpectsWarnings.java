package com.engarde.signupsync.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The warnings a test class provokes on purpose (each a regular expression found in the log line): they are kept
 * off the console, counted in one line at the end of the class. Every other line still reaches the console, where
 * a warning nobody expects stays visible. (A class run in part may provoke none, so their absence fails nothing.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ExpectedWarningsExtension.class)
public @interface ExpectsWarnings {

    /** One expression per kind of warning the class provokes. */
    String[] value();
}
