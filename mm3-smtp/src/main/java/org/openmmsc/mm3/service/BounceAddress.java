package org.openmmsc.mm3.service;

import java.util.Locale;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;

/**
 * The VERP return path of an MM3 e-mail: {@code bounce+<message id>.<recipient index>@<domain>}.
 * RFC 5321 §4.5.5 sends every non-delivery notification to the envelope's return path, and every
 * MTA keeps that address as given, so a bounce names the very delivery it is about even when the
 * receiving system quotes nothing else (unlike ENVID, RFC 3461, which only DSN-capable relays
 * carry). The message id's 80 random bits make the address unguessable to anyone who did not
 * receive the e-mail.
 */
public final class BounceAddress {
    static final String PREFIX = "bounce+";

    private BounceAddress() {}

    public static String of(DeliveryKey key, String domain) {
        return PREFIX + key.messageId().value() + "." + key.recipientIndex() + "@" + domain;
    }

    /** Whether this forward path is a return path at our return-path domain (it may still name nothing). */
    public static boolean isBounceAddress(String forwardPath, String domain) {
        int at = forwardPath.lastIndexOf('@');
        return at > 0 && forwardPath.substring(at + 1).equalsIgnoreCase(domain)
                && forwardPath.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The delivery a return path names, or null when it names none (malformed or forged). */
    public static DeliveryKey parse(String forwardPath, String domain) {
        if (!isBounceAddress(forwardPath, domain)) return null;
        String tag = forwardPath.substring(PREFIX.length(), forwardPath.lastIndexOf('@'));
        int dot = tag.lastIndexOf('.');
        if (dot <= 0 || dot == tag.length() - 1 || tag.length() - dot > 6) return null;
        try {
            return new DeliveryKey(MessageId.parse(tag.substring(0, dot).toUpperCase(Locale.ROOT)), Integer.parseInt(tag.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
