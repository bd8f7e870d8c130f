package com.engarde.signupsync.snapstart;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.security.NoSuchAlgorithmException;

/**
 * The TLS set-up a vendor call pays once per JVM (trust store, cipher suites, the key share of a ClientHello),
 * done without a network: for the {@link SampleWork} of a function that calls a vendor.
 */
public final class TlsPriming {

    private TlsPriming() {
    }

    /** Writes one ClientHello into a buffer and discards it; no byte leaves the process. */
    public static void clientHello() throws NoSuchAlgorithmException, SSLException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("priming.invalid", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        engine.closeOutbound();
    }
}
