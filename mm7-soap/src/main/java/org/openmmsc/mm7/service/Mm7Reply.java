package org.openmmsc.mm7.service;

import java.util.Objects;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Status;

/** What we answer one VASP request with: its …Rsp (success, partial success) or an RSErrorRsp fault. */
public record Mm7Reply(String responseElement, Mm7Status status, String statusText, String messageId) {
    public Mm7Reply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusText, "status text");
    }

    public static Mm7Reply error(Mm7Exception e) {
        return new Mm7Reply("RSErrorRsp", e.status(), e.statusText(), null);
    }

    public boolean isFault() {
        return !status.isSuccess();
    }
}
