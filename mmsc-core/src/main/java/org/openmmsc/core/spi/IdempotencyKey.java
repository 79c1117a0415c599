package org.openmmsc.core.spi;

import java.util.Objects;
import org.openmmsc.core.model.Interface;

/**
 * Identifies a submission for duplicate suppression: the interface, the sender as that interface
 * authenticated it (MSISDN from the trusted gateway, VASP id, MM4 originator system, admin
 * token) and the sender's transaction id. A transaction id alone is not unique: phones and
 * VASPs pick them freely.
 */
public record IdempotencyKey(Interface iface, String authenticatedSender, String transactionId) {
    public IdempotencyKey {
        Objects.requireNonNull(iface, "interface");
        Objects.requireNonNull(authenticatedSender, "authenticated sender");
        Objects.requireNonNull(transactionId, "transaction id");
        if (transactionId.isEmpty()) throw new IllegalArgumentException("empty transaction id");
    }

    /** A stable string form, unambiguous because each part is length-prefixed. */
    public String asString() {
        return iface.name() + ':' + authenticatedSender.length() + ':' + authenticatedSender + ':' + transactionId;
    }
}
