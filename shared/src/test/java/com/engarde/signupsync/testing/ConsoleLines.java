package com.engarde.signupsync.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every line this test JVM prints on standard output and standard error, and every line the logging configuration
 * (logback.xml, as in AWS) encodes, including those a test keeps off the console: what {@link ConsoleLinesCheck}
 * checks. Installed once per JVM, before the first test class; printing still reaches the console.
 */
public final class ConsoleLines {

    private static final List<String> LINES = new ArrayList<>();
    private static boolean installed;
    private static int checked;

    private ConsoleLines() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(tee(System.out));
        System.setErr(tee(System.err));
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("CONSOLE") instanceof OutputStreamAppender<ILoggingEvent> console) {
            Encoder<ILoggingEvent> encoder = console.getEncoder();
            AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    add(new String(encoder.encode(event), StandardCharsets.UTF_8));
                }
            };
            capture.setName("CONSOLE-LINES");
            capture.setContext(logging);
            capture.start();
            root.addAppender(capture);
        }
    }

    /** The lines not handed out before, and marks them handed out. */
    static synchronized List<String> unchecked() {
        List<String> fresh = List.copyOf(LINES.subList(checked, LINES.size()));
        checked = LINES.size();
        return fresh;
    }

    private static synchronized void add(String text) {
        text.lines().filter(line -> !line.isBlank()).forEach(LINES::add);
    }

    private static PrintStream tee(PrintStream original) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (line) {
                    for (int i = off; i < off + len; i++) {
                        if (b[i] == '\n') {
                            add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(b[i]);
                        }
                    }
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
