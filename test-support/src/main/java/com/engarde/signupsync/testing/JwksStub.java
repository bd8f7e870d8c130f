package com.engarde.signupsync.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An issuer's JWKS endpoint on localhost: publishes the public halves of the keys it holds; keys can rotate. */
public final class JwksStub implements AutoCloseable {

    private final HttpServer server;
    private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    public JwksStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(keys.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList())
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Generates a new signing key and publishes it beside (or, with {@code replace}, instead of) the others. */
    public RSAKey rotate(String kid, boolean replace) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
            if (replace) {
                keys.clear();
            }
            keys.add(key);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
