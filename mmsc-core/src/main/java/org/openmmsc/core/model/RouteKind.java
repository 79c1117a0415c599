package org.openmmsc.core.model;

/** How a recipient is reached. Each kind has one delivery agent. */
public enum RouteKind {
    /** A subscriber of this MMSC: WAP Push notification, then retrieval over MM1. */
    LOCAL_MM1,
    /** A subscriber of a peer carrier: MM4 forward over SMTP. */
    PEER_MM4,
    /** An e-mail address: MM3 over SMTP. */
    EMAIL_MM3,
    /** A VASP's short code: MM7 DeliverReq. */
    VASP_MM7,
    /** A local subscriber whose handset cannot do MMS: SMS with a link to the content. */
    LEGACY_SMS,
    /**
     * A delivery or read report owed to an originator, whose interface refused it the first time;
     * the target names that interface. Stored like a message so it survives restarts and retries.
     */
    REPORT
}
