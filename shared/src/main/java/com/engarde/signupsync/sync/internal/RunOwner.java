package com.engarde.signupsync.sync.internal;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who carries a run out ({@code funnel_sync_logs.owner}). A Lambda request is {@code lambda-<request id>}: its lease is
 * its invocation's time budget, so only the stale limit frees its run. Any other process (the local run, a test) is
 * {@code process/<host>/<pid>/<start>/<nonce>}, so that a process on the same host can tell the owner is gone and
 * take its run over at once; the nonce keeps two executions of one process apart.
 */
public final class RunOwner {

    private static final String PROCESS = "process/";
    private static final String HOST = host();

    private RunOwner() {
    }

    /** The owner for a Lambda request (a retried request is the same owner), or else for this process. */
    public static String of(String requestId) {
        return requestId == null ? thisProcess() : "lambda-" + requestId;
    }

    /** A new execution of this process. */
    public static String thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return PROCESS + HOST + "/" + self.pid() + "/" + started(self).map(Instant::toEpochMilli).orElse(0L) + "/"
                + UUID.randomUUID();
    }

    /**
     * True only when {@code owner} names a process of this host that no longer runs (its pid is gone or now belongs
     * to a process started at another time). A Lambda owner, another host's process or an unreadable owner: false.
     */
    public static boolean gone(String owner) {
        if (owner == null || !owner.startsWith(PROCESS)) {
            return false;
        }
        String[] parts = owner.substring(PROCESS.length()).split("/");
        if (parts.length != 4 || !parts[0].equals(HOST)) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long start = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return true;
            }
            // Start times read twice from the same source agree; a second apart is another process with a reused pid.
            return start != 0 && started(process.get()).map(s -> Math.abs(s.toEpochMilli() - start) > 1000).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The process id an owner names, for messages; empty for a Lambda owner. */
    public static Optional<String> pid(String owner) {
        if (owner == null || !owner.startsWith(PROCESS)) {
            return Optional.empty();
        }
        String[] parts = owner.substring(PROCESS.length()).split("/");
        return parts.length == 4 ? Optional.of(parts[1]) : Optional.empty();
    }

    private static Optional<Instant> started(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static String host() {
        String name;
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            name = Files.isReadable(kernel) ? Files.readString(kernel).strip() : InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            name = "unknown-host";
        }
        String clean = name.replaceAll("[^A-Za-z0-9.-]", "-");
        return clean.length() > 60 ? clean.substring(0, 60) : clean;
    }
}
