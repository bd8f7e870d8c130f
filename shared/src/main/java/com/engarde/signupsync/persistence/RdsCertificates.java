package com.engarde.signupsync.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The certificate authorities of Amazon RDS (every region's root CA, RSA2048, RSA4096 and ECC384), shipped in this
 * jar as {@value #RESOURCE}: the roots still valid of the global bundle AWS publishes. The driver reads
 * {@code sslrootcert} from a file, so the bundle is written once to the temporary directory, and written again
 * should it have gone (a SnapStart restore keeps no promise about /tmp).
 */
public final class RdsCertificates {

    public static final String RESOURCE = "rds/global-bundle.pem";
    private static final String FILE_NAME = "signup-sync-rds-global-bundle.pem";

    private RdsCertificates() {
    }

    /** The bundle as a PEM file the driver can read. */
    static synchronized Path bundleFile() {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), FILE_NAME);
        try (InputStream in = RdsCertificates.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: TLS to RDS cannot be verified");
            }
            byte[] bundle = in.readAllBytes();
            if (Files.isRegularFile(file) && Files.size(file) == bundle.length) {
                return file;
            }
            Path partial = Files.createTempFile(file.getParent(), FILE_NAME, ".partial");
            Files.write(partial, bundle);
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the RDS CA bundle to " + file.getParent(), e);
        }
    }

    /** A host on this machine: a test's embedded server or a tunnel, reached without TLS unless asked. */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
