package org.openmmsc.mm1.service;

/** The MMS 1.3 status octets this module sends and reads (OMA-TS-MMS_ENC 1.3 §7.3). */
public final class MmsStatus {
    private MmsStatus() {}

    // X-Mms-Response-Status (m-send-conf)
    public static final int OK = 0x80;
    public static final int UNSUPPORTED_MESSAGE = 0x88;
    public static final int TRANSIENT_FAILURE = 0xC0;
    public static final int TRANSIENT_SENDING_ADDRESS_UNRESOLVED = 0xC1;
    public static final int TRANSIENT_NETWORK_PROBLEM = 0xC3;
    public static final int PERMANENT_FAILURE = 0xE0;
    public static final int PERMANENT_SERVICE_DENIED = 0xE1;
    public static final int PERMANENT_MESSAGE_FORMAT_CORRUPT = 0xE2;
    public static final int PERMANENT_SENDING_ADDRESS_UNRESOLVED = 0xE3;
    public static final int PERMANENT_CONTENT_NOT_ACCEPTED = 0xE5;

    // X-Mms-Retrieve-Status (m-retrieve-conf)
    public static final int RETRIEVE_OK = 0x80;
    public static final int RETRIEVE_TRANSIENT_FAILURE = 0xC0;
    public static final int RETRIEVE_PERMANENT_SERVICE_DENIED = 0xE1;
    public static final int RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND = 0xE2;

    // X-Mms-Status (m-notifyresp-ind, m-delivery-ind)
    public static final int STATUS_EXPIRED = 0x80;
    public static final int STATUS_RETRIEVED = 0x81;
    public static final int STATUS_REJECTED = 0x82;
    public static final int STATUS_DEFERRED = 0x83;
    public static final int STATUS_UNRECOGNISED = 0x84;
    public static final int STATUS_INDETERMINATE = 0x85;
    public static final int STATUS_FORWARDED = 0x86;
    public static final int STATUS_UNREACHABLE = 0x87;

    // Yes/No tokens (Delivery-Report, Read-Report, Report-Allowed), Sender-Visibility
    public static final int YES = 0x80;
    public static final int NO = 0x81;
    public static final int VISIBILITY_HIDE = 0x80;
}
