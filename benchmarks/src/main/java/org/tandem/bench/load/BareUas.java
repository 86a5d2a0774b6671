package org.tandem.bench.load;

import gov.nist.javax.sip.SipStackImpl;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.tandem.gateway.sip.SipSettings;
import org.tandem.gateway.sip.stack.SipStackFactory;

/**
 * The smallest UAS on the JAIN-SIP RI with the gateway's stack properties
 * ({@link SipStackFactory#properties}, the same 4 workers and transaction bounds): INVITE gets a
 * dialog, 180 and 200 with an SDP answer; BYE gets 200. No call control, no PSTN, no media: what the
 * RI alone costs per call, the baseline the gateway's knee is compared with.
 */
final class BareUas implements Target, SipListener {
    private static final String SDP = "v=0\r\no=bare 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=ptime:20\r\n";
    private final SipStackImpl stack;
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final ContactHeader contact;
    private final ContentTypeHeader sdpType;
    private final int port;
    private final AtomicLong tags = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    BareUas() throws Exception {
        port = FreeUdp.port();
        SipSettings settings = SipSettings.defaults("127.0.0.1", port);
        stack = (SipStackImpl) SipStackFactory.create(settings, "bare-uas");
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
        SipFactory f = SipFactory.getInstance();
        messages = f.createMessageFactory();
        headers = f.createHeaderFactory();
        AddressFactory addresses = f.createAddressFactory();
        Address a = addresses.createAddress("sip:uas@127.0.0.1:" + port);
        contact = headers.createContactHeader(a);
        sdpType = headers.createContentTypeHeader("application", "sdp");
    }

    @Override
    public void processRequest(RequestEvent e) {
        Request req = e.getRequest();
        try {
            switch (req.getMethod()) {
                case Request.INVITE -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    provider.getNewDialog(st);
                    String tag = Long.toString(tags.incrementAndGet(), 36);
                    Response ringing = messages.createResponse(Response.RINGING, req);
                    ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(tag);
                    ringing.addHeader(contact);
                    st.sendResponse(ringing);
                    Response ok = messages.createResponse(Response.OK, req);
                    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(tag);
                    ok.addHeader(contact);
                    ok.setContent(SDP, sdpType);
                    st.sendResponse(ok);
                }
                case Request.ACK -> {
                    // the dialog has it
                }
                default -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    st.sendResponse(messages.createResponse(Response.OK, req));
                }
            }
        } catch (Exception ex) {
            errors.incrementAndGet();
        }
    }

    @Override
    public void processResponse(ResponseEvent e) {
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent e) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent e) {
    }

    @Override
    public String name() {
        return "bare RI UAS";
    }

    @Override
    public int sipPort() {
        return port;
    }

    @Override
    public long transactions() {
        return GatewayTarget.transactions(stack);
    }

    @Override
    public void close() {
        stack.stop();
    }
}
