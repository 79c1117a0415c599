package org.openmmsc.core.model;

/**
 * What the recipient (or its MMSC) answered, as MMS status values define it (X-Mms-Status,
 * MM4 X-Mms-MM-Status-Code, MM7 MMStatus). Kept apart from the MMSC's {@link DeliveryState}:
 * "Deferred" means the recipient chose to fetch later, "Forwarded" that it forwarded the message
 * without retrieving it — neither is a hand-off or a retry wait.
 */
public enum RecipientStatus {
    /** Nothing heard yet. */
    NONE,
    /** The recipient deferred retrieval (m-notifyresp-ind X-Mms-Status Deferred). */
    DEFERRED,
    /** The recipient forwarded the message without retrieving it. */
    FORWARDED,
    /** The recipient rejected the message. */
    REJECTED,
    /** The recipient retrieved it (reported by the recipient side). */
    RETRIEVED,
    /** A read report said read. */
    READ,
    /** A read report said deleted without being read. */
    DELETED_WITHOUT_READ,
    /** The recipient's side answered with a value this MMSC does not know. */
    UNRECOGNISED
}
