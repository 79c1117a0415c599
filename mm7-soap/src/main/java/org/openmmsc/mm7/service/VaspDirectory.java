package org.openmmsc.mm7.service;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.mm7.Mm7Config;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Status;

/**
 * Who may submit: checks HTTP Basic credentials, the source address and the throughput cap, in
 * that order, before a byte of the body is parsed. Cheap enough for a Netty event loop.
 */
public final class VaspDirectory {

    private record Entry(VaspAccount account, byte[] password, List<CidrBlock> sources, TokenBucket bucket) {}

    private final Map<String, Entry> byUser = new HashMap<>();

    public VaspDirectory(Mm7Config config, java.util.function.LongSupplier nanoTime) {
        for (VaspAccount v : config.vasps()) {
            byUser.put(v.username(), new Entry(v, v.password().getBytes(StandardCharsets.UTF_8),
                    v.allowedSources().stream().map(CidrBlock::parse).toList(), new TokenBucket(v.maxPerSecond(), v.burst(), nanoTime)));
        }
    }

    /** The account behind these credentials, or 4001 (no/wrong credentials) or 4007 (source not allowed). */
    public VaspAccount authenticate(String authorization, InetAddress source) throws Mm7Exception {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "HTTP Basic credentials required (Authorization: Basic …)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "Authorization header is not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "Authorization credentials must be user:password");
        Entry e = byUser.get(decoded.substring(0, colon));
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        // Compare even for an unknown user, so timing does not tell which user names exist.
        boolean ok = MessageDigest.isEqual(given, e == null ? new byte[given.length + 1] : e.password()) && e != null;
        if (!ok) throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "unknown VASP user or wrong password");
        boolean allowed = false;
        for (CidrBlock c : e.sources()) if (c.contains(source)) allowed = true;
        if (!allowed) {
            throw new Mm7Exception(Mm7Status.SERVICE_DENIED, "VASP " + e.account().id() + " may not connect from " + source.getHostAddress()
                    + "; ask the operator to add it to allowedSources");
        }
        return e.account();
    }

    /** Takes one request from the VASP's budget, or 4006 when it is over its cap. */
    public void admit(VaspAccount vasp) throws Mm7Exception {
        Entry e = byUser.get(vasp.username());
        if (!e.bucket().tryTake()) {
            throw new Mm7Exception(Mm7Status.SERVICE_UNAVAILABLE, "throughput cap of " + fmt(vasp.maxPerSecond())
                    + " requests/s for VASP " + vasp.id() + " exceeded; retry later with the same TransactionID");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
