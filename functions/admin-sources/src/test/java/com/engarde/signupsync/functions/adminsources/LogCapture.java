package com.engarde.signupsync.functions.adminsources;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Everything this JVM prints (the functions log to stderr) from now on, still passed through to the console. */
final class LogCapture {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    static LogCapture start() {
        LogCapture capture = new LogCapture();
        System.setOut(capture.tee(System.out));
        System.setErr(capture.tee(System.err));
        return capture;
    }

    private PrintStream tee(PrintStream original) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }

    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }
}
