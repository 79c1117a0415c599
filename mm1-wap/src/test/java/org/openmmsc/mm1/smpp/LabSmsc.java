package org.openmmsc.mm1.smpp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * An SMSC for tests, on jSMPP's server side: accepts binds with the right credentials, records every
 * submit_sm, answers them with the statuses the test queues (OK when none), sends delivery receipts,
 * and can drop its links or stop listening to play an outage. Listens on loopback only.
 */
public final class LabSmsc implements AutoCloseable {
    public static final String SYSTEM_ID = "mmsc";
    public static final String PASSWORD = "secret";

    /** A submit_sm as the SMSC received it. */
    public record Submit(String destination, int destTon, int destNpi, String source, int esmClass, int dataCoding, int protocolId,
                         int registeredDelivery, String validityPeriod, byte[] shortMessage, String messageId, long receivedNanos) {}

    private final int port;
    private final List<Submit> submits = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger refusedSubmits = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger enquireLinks = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile SMPPServerSessionListener listener;
    private volatile Thread acceptor;

    /** An SMSC that will listen on {@code port} once {@link #start()}ed (0: a free port now). */
    public LabSmsc(int port) throws IOException {
        this.port = port == 0 ? freePort() : port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public synchronized LabSmsc start() throws IOException {
        SMPPServerSessionListener l = new SMPPServerSessionListener(port);
        l.setMessageReceiverListener(new Receiver());
        // Enough threads to answer many submit_sm's at once, so the ESME's window is what limits them.
        l.setPduProcessorDegree(16);
        listener = l;
        acceptor = Thread.ofPlatform().daemon().name("lab-smsc-accept-" + port).start(() -> acceptLoop(l));
        return this;
    }

    private void acceptLoop(SMPPServerSessionListener l) {
        while (true) {
            SMPPServerSession session;
            try {
                session = l.accept();
            } catch (IOException e) {
                return; // closed
            }
            sessions.add(session);
            Thread.ofPlatform().daemon().name("lab-smsc-bind").start(() -> {
                try {
                    BindRequest bind = session.waitForBind(10_000);
                    if (SYSTEM_ID.equals(bind.getSystemId()) && PASSWORD.equals(bind.getPassword())) {
                        bind.accept("labsmsc");
                        binds.incrementAndGet();
                    } else {
                        bind.reject(SMPPConstant.STAT_ESME_RINVPASWD);
                    }
                } catch (Exception e) {
                    session.close();
                }
            });
        }
    }

    /** submit_sm's get no answer until {@link #releaseAnswers()} (at most a minute). */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    public void releaseAnswers() {
        hold.countDown();
    }

    /** submit_sm's received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most submit_sm's that were awaiting their answer at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The next submit_sm's are answered with these command_status values, in order (then OK again). */
    public void answerNext(int... statuses) {
        for (int s : statuses) answers.add(s);
    }

    public List<Submit> submits() {
        return List.copyOf(submits);
    }

    /** Submits answered with an error so far. */
    public int refusedSubmits() {
        return refusedSubmits.get();
    }

    /** enquire_link's received (jSMPP answers them). */
    public int enquireLinks() {
        return enquireLinks.get();
    }

    /** Binds accepted so far. */
    public int binds() {
        return binds.get();
    }

    public boolean hasBoundSession() {
        return sessions.stream().anyMatch(s -> s.getSessionState().isBound());
    }

    /** Short messages (user data) of the submits to {@code destination}, grouped by notification in arrival order. */
    public List<byte[]> shortMessagesTo(String destination) {
        List<byte[]> out = new ArrayList<>();
        for (Submit s : submits) if (s.destination().equals(destination)) out.add(s.shortMessage());
        return out;
    }

    /** Waits until {@code done} holds of the submits, or fails after {@code patience}. */
    public List<Submit> await(Predicate<List<Submit>> done, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.test(submits())) {
            if (System.nanoTime() > deadline) throw new AssertionError("SMSC did not see what was expected within " + patience + "; got " + describe());
            Thread.sleep(20);
        }
        return submits();
    }

    public String describe() {
        return submits.stream().map(s -> s.destination() + " " + s.messageId() + " (" + s.shortMessage().length + " octets)").toList()
                + ", " + binds.get() + " binds";
    }

    /**
     * Sends an SMPP 3.4 Appendix B delivery receipt for {@code submit} on a bound session, with the
     * receipted_message_id and message_state TLVs. Returns once the ESME answered deliver_sm_resp OK;
     * a negative answer or none throws.
     */
    public void sendReceipt(Submit submit, String stat, int messageState) throws Exception {
        SMPPServerSession session = sessions.stream().filter(s -> s.getSessionState().isBound()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no bound session"));
        String text = "id:" + submit.messageId() + " sub:001 dlvrd:001 submit date:2611281530 done date:2611281531 stat:" + stat
                + " err:000 text:";
        session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, submit.destination(),
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, submit.source(), new ESMClass(MessageType.SMSC_DEL_RECEIPT.value()),
                (byte) 0, (byte) 0, new RegisteredDelivery(0), new GeneralDataCoding(), text.getBytes(StandardCharsets.US_ASCII),
                new OptionalParameter.Receipted_message_id(submit.messageId()),
                new OptionalParameter.Message_state((byte) messageState));
    }

    /** Drops every link at once, without unbind (a crash or a cut cable as the ESME sees it). */
    public void dropLinks() {
        for (SMPPServerSession s : sessions) s.close();
        sessions.clear();
    }

    /** Stops listening and drops every link; {@link #start()} brings it back on the same port. */
    public synchronized void stop() throws IOException {
        SMPPServerSessionListener l = listener;
        listener = null;
        if (l != null) l.close();
        dropLinks();
        Thread a = acceptor;
        if (a != null) {
            try {
                a.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source) throws ProcessRequestException {
            long received = System.nanoTime();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (!hold.await(1, TimeUnit.MINUTES)) throw new ProcessRequestException("held too long", SMPPConstant.STAT_ESME_RSYSERR);
                return answer(sm, received);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessRequestException("interrupted", SMPPConstant.STAT_ESME_RSYSERR);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private SubmitSmResult answer(SubmitSm sm, long received) throws ProcessRequestException {
            Integer status = answers.poll();
            if (status != null && status != SMPPConstant.STAT_ESME_ROK) {
                refusedSubmits.incrementAndGet();
                throw new ProcessRequestException("lab SMSC answers " + status, status);
            }
            String id = "lab" + ids.incrementAndGet();
            submits.add(new Submit(sm.getDestAddress(), sm.getDestAddrTon(), sm.getDestAddrNpi(), sm.getSourceAddr(), sm.getEsmClass() & 0xFF,
                    sm.getDataCoding() & 0xFF, sm.getProtocolId() & 0xFF, sm.getRegisteredDelivery() & 0xFF, sm.getValidityPeriod(), sm.getShortMessage(), id, received));
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (PDUStringException e) {
                throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti m, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
            enquireLinks.incrementAndGet();
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
