package com.engarde.signupsync.local;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Locale;

/**
 * Which compression a response may use: gzip when the client names it with a weight above zero, else none.
 * The server would otherwise pick from everything it knows for {@code *} (snappy, which almost no client
 * decodes), or for a client naming {@code br} or {@code snappy}.
 */
final class AcceptedEncoding {

    private AcceptedEncoding() {
    }

    /** Rewrites the request's {@code Accept-Encoding} to {@code gzip} or removes it (identity). */
    static void restrict(HttpHeaders headers) {
        String accepted = headers.get(HttpHeaderNames.ACCEPT_ENCODING);
        if (accepted == null) {
            return;
        }
        if (gzipNamed(accepted)) {
            headers.set(HttpHeaderNames.ACCEPT_ENCODING, "gzip");
        } else {
            headers.remove(HttpHeaderNames.ACCEPT_ENCODING);
        }
    }

    static boolean gzipNamed(String accepted) {
        for (String part : accepted.split(",")) {
            String[] pieces = part.split(";");
            if (!pieces[0].strip().toLowerCase(Locale.ROOT).equals("gzip")) {
                continue;
            }
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=") && weight(parameter.substring(2)) <= 0) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static double weight(String q) {
        try {
            return Double.parseDouble(q.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
