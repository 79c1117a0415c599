package org.openmmsc.mm1.service;

/** PDU helpers the service tests use, for tests in other packages. */
public final class Mm1ServiceTestSupport {
    private Mm1ServiceTestSupport() {}

    public static byte[] notifyResp(String transactionId, int status) {
        return Mm1ServiceTest.notifyResp(transactionId, status);
    }
}
