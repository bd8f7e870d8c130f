package com.engarde.signupsync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/** Keeps the warnings an {@link ExpectsWarnings} class names off the console for the class's lifetime. */
final class ExpectedWarningsExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ExpectedWarningsExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ExpectedWarningsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> expected = expressions(context);
        Pattern any = Pattern.compile(" WARN .*(" + String.join("|", expected) + ")");
        context.getStore(NAMESPACE).put("warnings", ExpectedWarnings.start(any));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExpectedWarnings warnings = context.getStore(NAMESPACE).remove("warnings", ExpectedWarnings.class);
        warnings.stop();
        LOG.info("{}: {} expected warning(s) kept off the console",
                context.getRequiredTestClass().getSimpleName(), warnings.lines().size());
    }

    private static List<String> expressions(ExtensionContext context) {
        return List.of(context.getRequiredTestClass().getAnnotation(ExpectsWarnings.class).value());
    }
}
