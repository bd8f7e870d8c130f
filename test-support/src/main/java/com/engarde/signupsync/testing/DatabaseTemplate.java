package com.engarde.signupsync.testing;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.persistence.DatabaseMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A stopped embedded PostgreSQL data directory, initialised and migrated once per set of migrations and kept under
 * the build's {@code target/}, so each test JVM copies it and starts the server instead of running initdb and every
 * migration again (about three seconds of CPU a JVM, twenty-odd JVMs a build).
 *
 * <p>The template is named by a digest of every file under {@code db/migration} on the classpath, so a changed or
 * added migration makes a new one. What the digest cannot see (a Java migration whose checksum depends on the
 * classpath, such as the declared sources) is caught by migrating the copy as usual: Flyway applies only what
 * differs.
 */
final class DatabaseTemplate {

    private static final String MIGRATIONS = "db/migration";
    /** Files a running or stopped server leaves that a copy must not inherit. */
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private DatabaseTemplate() {
    }

    /** A fresh data directory holding the migrated template, for one server; the caller deletes it when done. */
    static Path freshCopy() throws IOException {
        Path root = Files.createDirectories(buildTarget().resolve("test-database"));
        Path template = root.resolve("template-" + migrationsDigest());
        if (!Files.isRegularFile(template.resolve("PG_VERSION"))) {
            build(root, template);
        }
        Path copy = root.resolve("run-" + UUID.randomUUID());
        copyTree(template, copy);
        return copy;
    }

    /**
     * Deletes a data directory made by {@link #freshCopy()} once its server is gone: the embedded server's own
     * shutdown hook may still be stopping it, and it removes postmaster.pid last.
     */
    static void deleteWhenStopped(Path directory) {
        try {
            for (int i = 0; i < 100 && Files.exists(directory.resolve("postmaster.pid")); i++) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            Collections.reverse(paths);
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // target/ is cleaned by the build anyway
        }
    }

    /** Builds the template under a lock shared by every JVM of the build, unless another JVM built it meanwhile. */
    private static void build(Path root, Path template) throws IOException {
        Path lockFile = root.resolve(template.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.isRegularFile(template.resolve("PG_VERSION"))) {
                return;
            }
            Path building = root.resolve("building-" + UUID.randomUUID());
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(building)
                    .setCleanDataDirectory(false).start()) {
                DatabaseMigrations.migrate(pg.getPostgresDatabase());
            }
            Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // PostgreSQL refuses a data directory that others may read.
        Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** SHA-256 over the names and bytes of every file under db/migration on the classpath, in name order. */
    static String migrationsDigest() throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        ClassLoader loader = DatabaseTemplate.class.getClassLoader();
        for (URL url : Collections.list(loader.getResources(MIGRATIONS))) {
            if ("jar".equals(url.getProtocol())) {
                String jarPath = url.getPath().substring("file:".length(), url.getPath().indexOf("!/"));
                try (JarFile jar = new JarFile(java.net.URLDecoder.decode(jarPath, java.nio.charset.StandardCharsets.UTF_8))) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (!entry.isDirectory() && entry.getName().startsWith(MIGRATIONS + "/")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                files.put(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path dir = pathOf(url);
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        files.put(MIGRATIONS + "/" + dir.relativize(file), Files.readAllBytes(file));
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no " + MIGRATIONS + " on the classpath");
        }
        MessageDigest digest = Sha256.incremental();
        files.forEach((name, bytes) -> {
            digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
        });
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    private static Path pathOf(URL url) {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(url + " is not a path", e));
        }
    }

    /** The build's root target/ (the folder above that holds .mvn/), or the system's temporary folder outside a build. */
    private static Path buildTarget() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
            dir = dir.getParent();
        }
        return dir != null ? dir.resolve("target") : Path.of(System.getProperty("java.io.tmpdir"), "signup-sync");
    }
}
