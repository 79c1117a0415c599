package org.openmmsc.core.model;

import java.util.Objects;

/**
 * Where a message came from and the references its interface gave it, so replies and reports can
 * be correlated: the transaction id (MM1/MM4/MM7), the authenticated sender (MSISDN from the
 * trusted gateway, VASP id, MM4 originator system), and MM7/MM4 specifics. Unused fields are null.
 *
 * <p>{@code interfaceVersion} is the protocol version the originator's client spoke for this
 * message (MM1: the X-Mms-MMS-Version of its m-send-req, e.g. "1.0"), so reports go back in a
 * form it understands; null when unknown (messages stored before it was kept).
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
        String originatorMessageId,
        String interfaceVersion) {

    public Origin {
        Objects.requireNonNull(iface, "origin interface");
    }

    /** An origin whose protocol version is not known. */
    public Origin(Interface iface, String authenticatedSender, String transactionId, String vaspId, String vasId, String serviceCode,
                  String linkedId, String originatorSystem, String originatorMessageId) {
        this(iface, authenticatedSender, transactionId, vaspId, vasId, serviceCode, linkedId, originatorSystem, originatorMessageId, null);
    }

    public Origin withInterfaceVersion(String version) {
        return new Origin(iface, authenticatedSender, transactionId, vaspId, vasId, serviceCode, linkedId, originatorSystem,
                originatorMessageId, version);
    }

    public static Origin of(Interface iface, String authenticatedSender, String transactionId) {
        return new Origin(iface, authenticatedSender, transactionId, null, null, null, null, null, null);
    }
}
