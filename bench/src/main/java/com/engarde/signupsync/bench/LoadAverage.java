package com.engarde.signupsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, printed beside every figure: a loaded machine makes every figure slower. */
final class LoadAverage {

    private LoadAverage() {
    }

    static String line() {
        try {
            return "load average (1, 5, 15 min): " + Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "load average: unknown (no /proc/loadavg)";
        }
    }
}
