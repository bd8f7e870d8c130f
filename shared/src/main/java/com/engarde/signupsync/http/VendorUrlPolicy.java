package com.engarde.signupsync.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a credential may be sent: the one rule for every vendor URL (configured, stored by an admin, or reached
 * by a redirect) and for the admin JWKS URL. A URL uses https, or plain http to a loopback address; its host is
 * a public address, or loopback where loopback is allowed (a local stub). Private, link-local, CGNAT,
 * multicast, unspecified, documentation and reserved addresses are refused, also inside IPv4-mapped, NAT64 and
 * 6to4 IPv6 forms. Loopback is decided on the address, never on how a name is spelled
 * ({@code 127.attacker.example} is a name, not loopback). The host is resolved again right before each
 * connection, so a name that changes its answer after it was stored (DNS rebinding) is still refused.
 */
public final class VendorUrlPolicy {

    /** How a host name becomes addresses: the JVM's resolver, or a test's stand-in. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Set by the Lambda runtime in every function; its loopback serves the runtime's own API, never a vendor. */
    static final String LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME";
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");
    private static final VendorUrlPolicy STANDARD = new VendorUrlPolicy(loopbackAllowedIn(System.getenv()),
            InetAddress::getAllByName);

    private final boolean loopbackAllowed;
    private final Resolver resolver;

    public VendorUrlPolicy(boolean loopbackAllowed, Resolver resolver) {
        this.loopbackAllowed = loopbackAllowed;
        this.resolver = resolver;
    }

    /** The policy of this process: loopback allowed in the local run and tests, refused inside AWS Lambda. */
    public static VendorUrlPolicy standard() {
        return STANDARD;
    }

    /** Whether loopback is allowed in a process with this environment. */
    static boolean loopbackAllowedIn(Map<String, String> environment) {
        String marker = environment.get(LAMBDA_MARKER);
        return marker == null || marker.isBlank();
    }

    public boolean loopbackAllowed() {
        return loopbackAllowed;
    }

    /**
     * The checks that need no lookup, for a URL read from configuration: https, or http to a loopback address
     * literal or {@code localhost}; an address literal must be allowed. {@link VendorUrlRefused} otherwise.
     */
    public URI requireSafe(URI uri) {
        String host = host(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<InetAddress> literal = literal(host);
        literal.ifPresent(address -> check(address, host));
        boolean loopbackName = literal.map(VendorUrlPolicy::isLoopback).orElse(host.equalsIgnoreCase("localhost"));
        if (loopbackName && !loopbackAllowed) {
            throw new VendorUrlRefused(host + " is a loopback address, which no vendor URL may name here");
        }
        if (scheme.equals("https") || (scheme.equals("http") && loopbackName)) {
            return uri;
        }
        throw new VendorUrlRefused("a vendor URL must use https (http only on a loopback address): "
                + uri.getScheme() + "://" + host);
    }

    /**
     * Only the transport rule, for a URL the operator configures that may name an in-house host (the admin
     * JWKS): https, or plain http to a loopback address literal or {@code localhost} where loopback is allowed.
     */
    public URI requireSecureTransport(URI uri) {
        String host = host(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        boolean loopback = literal(host).map(VendorUrlPolicy::isLoopback).orElse(host.equalsIgnoreCase("localhost"));
        if (scheme.equals("http") && loopback && loopbackAllowed) {
            return uri;
        }
        throw new VendorUrlRefused("the URL must use https (http only on a loopback address): " + uri.getScheme()
                + "://" + host);
    }

    /**
     * For a URL an admin stores: {@link #requireSafe}, and every address its host resolves to now. A name that
     * does not resolve passes here; it is checked again at every connection.
     */
    public URI requireAllowed(URI uri) {
        requireSafe(uri);
        resolved(uri);
        return uri;
    }

    /**
     * Right before a connection: the host's addresses as resolved now, each allowed, and plain http only when
     * every one is loopback. The JVM's resolver caches this answer, so the connection that follows at once
     * goes to an address checked here. A name that does not resolve passes: the connection fails saying so.
     */
    public void checkConnection(URI uri) {
        requireSafe(uri);
        InetAddress[] addresses = resolved(uri);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            for (InetAddress address : addresses) {
                if (!isLoopback(address)) {
                    throw new VendorUrlRefused(host(uri) + " does not resolve to a loopback address only;"
                            + " plain http is allowed only there");
                }
            }
        }
    }

    private InetAddress[] resolved(URI uri) {
        String host = host(uri);
        if (literal(host).isPresent()) {
            return new InetAddress[]{literal(host).get()};
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
        for (InetAddress address : addresses) {
            check(address, host);
        }
        return addresses;
    }

    private void check(InetAddress address, String host) {
        if (isLoopback(address)) {
            if (!loopbackAllowed) {
                throw new VendorUrlRefused(host + " is a loopback address, which no vendor URL may name here");
            }
            return;
        }
        if (!isPublic(address)) {
            throw new VendorUrlRefused(host + " is not a public internet address"
                    + (host.equals(address.getHostAddress()) ? "" : " (it resolves to " + address.getHostAddress() + ")")
                    + "; a vendor URL must name a public host");
        }
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new VendorUrlRefused("a vendor URL must name a host");
        }
        return host;
    }

    /** The address a host spells out, without any lookup; empty for a name. */
    private static Optional<InetAddress> literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.contains(":") && !IPV4_LITERAL.matcher(bare).matches()) {
            return Optional.empty();
        }
        try {
            // A literal is parsed, not looked up; an unparseable one is refused rather than sent to DNS.
            if (bare.contains(":") || bare.chars().filter(ch -> ch == '.').count() == 3) {
                return Optional.of(InetAddress.getByName(bare));
            }
        } catch (UnknownHostException e) {
            // answered below
        }
        throw new VendorUrlRefused(host + " is not a valid address");
    }

    static boolean isLoopback(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return true;
        }
        Inet4Address embedded = embeddedIpv4(address);
        return embedded != null && embedded.isLoopbackAddress();
    }

    /** Whether an address is on the public internet: not private, link-local, CGNAT, multicast, reserved... */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            int a2 = b[2] & 0xff;
            return a0 != 0 && a0 != 10 && a0 != 127 && a0 < 224             // this network, private, loopback, multicast and reserved
                    && !(a0 == 100 && (a1 & 0xc0) == 64)                     // CGNAT 100.64.0.0/10
                    && !(a0 == 169 && a1 == 254)                             // link-local, cloud metadata
                    && !(a0 == 172 && (a1 & 0xf0) == 16)                     // private 172.16.0.0/12
                    && !(a0 == 192 && a1 == 168)                             // private
                    && !(a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))       // IETF protocol assignments, TEST-NET-1
                    && !(a0 == 192 && a1 == 88 && a2 == 99)                  // 6to4 relay anycast
                    && !(a0 == 198 && (a1 & 0xfe) == 18)                     // benchmarking 198.18.0.0/15
                    && !(a0 == 198 && a1 == 51 && a2 == 100)                 // TEST-NET-2
                    && !(a0 == 203 && a1 == 0 && a2 == 113);                 // TEST-NET-3
        }
        Inet4Address embedded = embeddedIpv4(address);
        if (embedded != null) {
            return isPublic(embedded);
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (b[0] & 0xe0) == 0x20                                         // global unicast 2000::/3 only
                && !(w0 == 0x2001 && w1 == 0x0db8)                           // documentation
                && !(w0 == 0x2001 && w1 < 0x0200);                           // Teredo and other IETF assignments
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address, or null. */
    private static Inet4Address embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff));
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        byte[] v4;
        if (mapped || nat64) {
            v4 = new byte[]{b[12], b[13], b[14], b[15]};
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = new byte[]{b[2], b[3], b[4], b[5]};
        } else {
            return null;
        }
        if (mapped && b[10] == 0 && v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && (v4[3] == 0 || v4[3] == 1)) {
            return null; // :: and ::1 themselves, which the checks above answer
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
