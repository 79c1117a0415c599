package org.openmmsc.mm4.service;

import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;

/**
 * How outbound MM4 ids name the delivery they carry, so a RES or a delivery report that quotes
 * them finds it again without any lookup table: X-Mms-Message-ID and X-Mms-Transaction-ID are
 * "{message id}.{recipient index}" (one forward per recipient delivery).
 */
final class Mm4Correlation {
    private Mm4Correlation() {}

    static String idOf(DeliveryKey key) {
        return key.messageId().value() + "." + key.recipientIndex();
    }

    /** The delivery an id names, or null if the id is not one of ours. */
    static DeliveryKey parse(String id) {
        if (id == null) return null;
        String s = id.strip();
        int dot = s.lastIndexOf('.');
        if (dot != 26) return null;
        try {
            return new DeliveryKey(MessageId.parse(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
