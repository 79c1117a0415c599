package org.openmmsc.core.model;

import java.util.Objects;

/**
 * Where a message came from and the references its interface gave it, so replies and reports can
 * be correlated: the transaction id (MM1/MM4/MM7), the authenticated sender (MSISDN from the
 * trusted gateway, VASP id, MM4 originator system), and MM7/MM4 specifics. Unused fields are null.
 */
public record Origin(
        Interface iface,
        String authenticatedSender,
        String transactionId,
        String vaspId,
        String vasId,
        String serviceCode,
        String linkedId,
        String originatorSystem,
        String originatorMessageId) {

    public Origin {
        Objects.requireNonNull(iface, "origin interface");
    }

    public static Origin of(Interface iface, String authenticatedSender, String transactionId) {
        return new Origin(iface, authenticatedSender, transactionId, null, null, null, null, null, null);
    }
}
