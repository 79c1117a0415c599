package org.openmmsc.mm1.codec;

import java.util.List;

import static org.openmmsc.mm1.codec.MmsField.*;

/**
 * X-Mms-Message-Type values of MMS 1.3 (mms-encapsulation.md §2) with the headers a PDU of that type
 * must carry. The mandatory sets follow AOSP's receiver-side check (PduParser.checkMandatoryHeader)
 * where it has one and OMA-TS-MMS_ENC 1.3 otherwise; X-Mms-MMS-Version is mandatory everywhere.
 */
public enum MessageType {
    M_SEND_REQ(0x80, "m-send-req", List.of(TRANSACTION_ID, FROM, CONTENT_TYPE)),
    M_SEND_CONF(0x81, "m-send-conf", List.of(TRANSACTION_ID, RESPONSE_STATUS)),
    M_NOTIFICATION_IND(0x82, "m-notification-ind",
            List.of(TRANSACTION_ID, MESSAGE_CLASS, MESSAGE_SIZE, EXPIRY, CONTENT_LOCATION)),
    M_NOTIFYRESP_IND(0x83, "m-notifyresp-ind", List.of(TRANSACTION_ID, STATUS)),
    M_RETRIEVE_CONF(0x84, "m-retrieve-conf", List.of(DATE, CONTENT_TYPE)),
    M_ACKNOWLEDGE_IND(0x85, "m-acknowledge-ind", List.of(TRANSACTION_ID)),
    M_DELIVERY_IND(0x86, "m-delivery-ind", List.of(MESSAGE_ID, TO, DATE, STATUS)),
    M_READ_REC_IND(0x87, "m-read-rec-ind", List.of(MESSAGE_ID, TO, FROM, READ_STATUS)),
    M_READ_ORIG_IND(0x88, "m-read-orig-ind", List.of(MESSAGE_ID, TO, FROM, DATE, READ_STATUS)),
    M_FORWARD_REQ(0x89, "m-forward-req", List.of(TRANSACTION_ID, FROM, CONTENT_LOCATION)),
    M_FORWARD_CONF(0x8A, "m-forward-conf", List.of(TRANSACTION_ID, RESPONSE_STATUS)),
    M_MBOX_STORE_REQ(0x8B, "m-mbox-store-req", List.of(TRANSACTION_ID, CONTENT_LOCATION)),
    M_MBOX_STORE_CONF(0x8C, "m-mbox-store-conf", List.of(TRANSACTION_ID, STORE_STATUS)),
    M_MBOX_VIEW_REQ(0x8D, "m-mbox-view-req", List.of(TRANSACTION_ID)),
    M_MBOX_VIEW_CONF(0x8E, "m-mbox-view-conf", List.of(TRANSACTION_ID, RESPONSE_STATUS)),
    M_MBOX_UPLOAD_REQ(0x8F, "m-mbox-upload-req", List.of(TRANSACTION_ID, CONTENT_TYPE)),
    M_MBOX_UPLOAD_CONF(0x90, "m-mbox-upload-conf", List.of(TRANSACTION_ID, STORE_STATUS)),
    M_MBOX_DELETE_REQ(0x91, "m-mbox-delete-req", List.of(TRANSACTION_ID, CONTENT_LOCATION)),
    M_MBOX_DELETE_CONF(0x92, "m-mbox-delete-conf", List.of(TRANSACTION_ID, RESPONSE_STATUS)),
    M_MBOX_DESCR(0x93, "m-mbox-descr", List.of()),
    M_DELETE_REQ(0x94, "m-delete-req", List.of(TRANSACTION_ID, CONTENT_LOCATION)),
    M_DELETE_CONF(0x95, "m-delete-conf", List.of(TRANSACTION_ID, RESPONSE_STATUS)),
    M_CANCEL_REQ(0x96, "m-cancel-req", List.of(TRANSACTION_ID, CANCEL_ID)),
    M_CANCEL_CONF(0x97, "m-cancel-conf", List.of(TRANSACTION_ID, CANCEL_STATUS));

    private final int octet;
    private final String wireName;
    private final List<MmsField> mandatory;

    MessageType(int octet, String wireName, List<MmsField> mandatory) {
        this.octet = octet;
        this.wireName = wireName;
        this.mandatory = mandatory;
    }

    public int octet() {
        return octet;
    }

    /** The OMA name, e.g. "m-send-req". */
    public String wireName() {
        return wireName;
    }

    /** Mandatory headers besides X-Mms-Message-Type and X-Mms-MMS-Version. */
    public List<MmsField> mandatoryFields() {
        return mandatory;
    }

    public static MessageType fromOctet(int octet) {
        for (MessageType type : values()) {
            if (type.octet == octet) {
                return type;
            }
        }
        return null;
    }

    public static MessageType fromName(String name) {
        for (MessageType type : values()) {
            if (type.wireName.equalsIgnoreCase(name) || type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
