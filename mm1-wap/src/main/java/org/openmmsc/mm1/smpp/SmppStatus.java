package org.openmmsc.mm1.smpp;

import java.util.Map;

/**
 * SMPP 3.4 command_status values (SMPP v3.4 §5.1.3; ../shared/reference/wap-push.md §5.7) and
 * what a submit_sm_resp carrying one means for the notification: retry later or give up.
 */
public final class SmppStatus {
    public static final int ESME_ROK = 0x00;
    public static final int ESME_RINVBNDSTS = 0x04;
    public static final int ESME_RSYSERR = 0x08;
    public static final int ESME_RINVDSTADR = 0x0B;
    public static final int ESME_RMSGQFUL = 0x14;
    public static final int ESME_RTHROTTLED = 0x58;
    public static final int ESME_RX_T_APPN = 0x64;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00, "ESME_ROK"), Map.entry(0x01, "ESME_RINVMSGLEN"), Map.entry(0x02, "ESME_RINVCMDLEN"),
            Map.entry(0x03, "ESME_RINVCMDID"), Map.entry(0x04, "ESME_RINVBNDSTS"), Map.entry(0x05, "ESME_RALYBND"),
            Map.entry(0x06, "ESME_RINVPRTFLG"), Map.entry(0x07, "ESME_RINVREGDLVFLG"), Map.entry(0x08, "ESME_RSYSERR"),
            Map.entry(0x0A, "ESME_RINVSRCADR"), Map.entry(0x0B, "ESME_RINVDSTADR"), Map.entry(0x0C, "ESME_RINVMSGID"),
            Map.entry(0x0D, "ESME_RBINDFAIL"), Map.entry(0x0E, "ESME_RINVPASWD"), Map.entry(0x0F, "ESME_RINVSYSID"),
            Map.entry(0x14, "ESME_RMSGQFUL"), Map.entry(0x15, "ESME_RINVSERTYP"), Map.entry(0x43, "ESME_RINVESMCLASS"),
            Map.entry(0x45, "ESME_RSUBMITFAIL"), Map.entry(0x48, "ESME_RINVSRCTON"), Map.entry(0x49, "ESME_RINVSRCNPI"),
            Map.entry(0x50, "ESME_RINVDSTTON"), Map.entry(0x51, "ESME_RINVDSTNPI"), Map.entry(0x53, "ESME_RINVSYSTYP"),
            Map.entry(0x58, "ESME_RTHROTTLED"), Map.entry(0x61, "ESME_RINVSCHED"), Map.entry(0x62, "ESME_RINVEXPIRY"),
            Map.entry(0x64, "ESME_RX_T_APPN"), Map.entry(0x65, "ESME_RX_P_APPN"), Map.entry(0x66, "ESME_RX_R_APPN"),
            Map.entry(0xC0, "ESME_RINVTLVSTREAM"), Map.entry(0xC1, "ESME_RTLVNOTALLWD"), Map.entry(0xC2, "ESME_RINVTLVLEN"),
            Map.entry(0xC3, "ESME_RMISSINGTLV"), Map.entry(0xC4, "ESME_RINVTLVVAL"), Map.entry(0xFE, "ESME_RDELIVERYFAILURE"),
            Map.entry(0xFF, "ESME_RUNKNOWNERR"));

    private SmppStatus() {
    }

    /** The status's SMPP name, or its hex value when unknown (reserved or vendor-specific). */
    public static String name(int status) {
        String name = NAMES.get(status);
        return name != null ? name : String.format("0x%08X", status);
    }

    /** The SMSC asks us to slow down: pause submitting, and retry this notification later. */
    public static boolean isThrottling(int status) {
        return status == ESME_RTHROTTLED || status == ESME_RMSGQFUL;
    }

    /**
     * Worth trying again: throttling, the SMSC's own trouble (system error, temporary application
     * error — Kannel's temporary set) and a session that was not bound (it rebinds). Anything else
     * says the submit itself is wrong, and repeating it cannot help.
     */
    public static boolean isTransient(int status) {
        return isThrottling(status) || status == ESME_RSYSERR || status == ESME_RX_T_APPN || status == ESME_RINVBNDSTS;
    }
}
