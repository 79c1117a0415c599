package org.openmmsc.mm7.service;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.mm7.Mm7Config;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Status;

/**
 * Who may submit: checks the client certificate binding, HTTP Basic credentials, the source
 * address and the throughput cap, in that order, before a byte of the body is parsed. Cheap
 * enough for a Netty event loop.
 *
 * <p>The accounts can be replaced while requests run ({@link #reload}): a request keeps the account
 * it was admitted with, new requests see the new set at once. An account whose cap did not change
 * keeps its token bucket, so a reload is no way around the cap.
 */
public final class VaspDirectory {

    private record Entry(VaspAccount account, byte[] password, List<CidrBlock> sources, TokenBucket bucket) {}

    /** One consistent set of accounts; replaced whole on reload. */
    private record Snapshot(Map<String, Entry> byUser, Map<String, Entry> byId) {}

    private final java.util.function.LongSupplier nanoTime;
    private volatile Snapshot snapshot;

    public VaspDirectory(Mm7Config config, java.util.function.LongSupplier nanoTime) {
        this(config.vasps(), nanoTime);
    }

    public VaspDirectory(List<VaspAccount> vasps, java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.snapshot = build(vasps, Map.of());
    }

    private Snapshot build(List<VaspAccount> vasps, Map<String, Entry> previousById) {
        Map<String, Entry> byUser = new HashMap<>();
        Map<String, Entry> byId = new HashMap<>();
        for (VaspAccount v : vasps) {
            Entry old = previousById.get(v.id());
            TokenBucket bucket = old != null && Objects.equals(old.account().maxPerSecond(), v.maxPerSecond())
                    && Objects.equals(old.account().burst(), v.burst()) ? old.bucket() : new TokenBucket(v.maxPerSecond(), v.burst(), nanoTime);
            Entry e = new Entry(v, v.password().getBytes(StandardCharsets.UTF_8), v.allowedSources().stream().map(CidrBlock::parse).toList(), bucket);
            byUser.put(v.username(), e);
            byId.put(v.id(), e);
        }
        return new Snapshot(Map.copyOf(byUser), Map.copyOf(byId));
    }

    /** Replaces the accounts (already validated as a whole, e.g. by {@link Mm7Config}). Requests under way keep theirs. */
    public synchronized void reload(List<VaspAccount> vasps) {
        snapshot = build(vasps, snapshot.byId());
    }

    /** The current account with this VASP id, or null. */
    public VaspAccount byId(String id) {
        Entry e = snapshot.byId().get(id);
        return e == null ? null : e.account();
    }

    public List<VaspAccount> accounts() {
        return snapshot.byId().values().stream().map(Entry::account).toList();
    }

    /** {@link #authenticate(String, InetAddress, X509Certificate)} without a client certificate (plain HTTP). */
    public VaspAccount authenticate(String authorization, InetAddress source) throws Mm7Exception {
        return authenticate(authorization, source, null);
    }

    /**
     * The account behind this request, or 4001 (no/wrong credentials, or a client certificate that
     * is not the account's) or 4007 (source not allowed). {@code certificate} is the TLS client
     * certificate, null without one.
     */
    public VaspAccount authenticate(String authorization, InetAddress source, X509Certificate certificate) throws Mm7Exception {
        Snapshot s = snapshot;
        Entry e;
        if (authorization == null && certificate != null) {
            // Mutual TLS can stand in for Basic credentials: the certificate names the VASP.
            e = s.byId().values().stream().filter(x -> x.account().tls() != null && x.account().tls().matches(certificate)).findFirst()
                    .orElseThrow(() -> new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "HTTP Basic credentials required (Authorization: Basic …); "
                            + "the client certificate presented is bound to no VASP account"));
        } else {
            e = basic(s, authorization);
        }
        var tls = e.account().tls();
        if (tls != null && tls.bindsClientCertificate() && !tls.matches(certificate)) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, certificate == null
                    ? "VASP " + e.account().id() + " must connect over HTTPS with its client certificate"
                    : "the client certificate presented (SHA-256 " + org.openmmsc.mm7.VaspTls.sha256(certificate) + ") is not the one configured for VASP "
                            + e.account().id());
        }
        boolean allowed = false;
        for (CidrBlock c : e.sources()) if (c.contains(source)) allowed = true;
        if (!allowed) {
            throw new Mm7Exception(Mm7Status.SERVICE_DENIED, "VASP " + e.account().id() + " may not connect from " + source.getHostAddress()
                    + "; ask the operator to add it to allowedSources");
        }
        return e.account();
    }

    private static Entry basic(Snapshot s, String authorization) throws Mm7Exception {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "HTTP Basic credentials required (Authorization: Basic …)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "Authorization header is not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "Authorization credentials must be user:password");
        Entry e = s.byUser().get(decoded.substring(0, colon));
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        // Compare even for an unknown user, so timing does not tell which user names exist.
        boolean ok = MessageDigest.isEqual(given, e == null ? new byte[given.length + 1] : e.password()) && e != null;
        if (!ok) throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "unknown VASP user or wrong password");
        return e;
    }

    /** Takes one request from the VASP's budget, or 4006 when it is over its cap. */
    public void admit(VaspAccount vasp) throws Mm7Exception {
        Entry e = snapshot.byId().get(vasp.id());
        // Removed by a reload between authentication and admission: it is no longer let in.
        if (e == null) throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "VASP " + vasp.id() + " is no longer configured");
        if (!e.bucket().tryTake()) {
            throw new Mm7Exception(Mm7Status.SERVICE_UNAVAILABLE, "throughput cap of " + fmt(vasp.maxPerSecond())
                    + " requests/s for VASP " + vasp.id() + " exceeded; retry later with the same TransactionID");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
