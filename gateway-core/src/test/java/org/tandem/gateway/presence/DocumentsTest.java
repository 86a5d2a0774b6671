package org.tandem.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The PIDF and dialog-info bodies, read back with the JDK's namespace-aware XML parser. */
class DocumentsTest {
    private static final LineDialog ANSWERED = new LineDialog("c7", "abc@host", LineDialog.State.CONFIRMED, true);
    private static final LineDialog RINGING = new LineDialog("c8", "", LineDialog.State.EARLY, false);

    @Test
    void shouldSayOpenAndAvailableForARegisteredIdleUser() throws Exception {
        Document d = parse(PidfDocument.build("sip:alice@pbx.example.net", new LineState(true, List.of())));
        Element presence = d.getDocumentElement();
        assertEquals(PidfDocument.NS_PIDF, presence.getNamespaceURI());
        assertEquals("presence", presence.getLocalName());
        assertEquals("sip:alice@pbx.example.net", presence.getAttribute("entity"));
        assertEquals("open", only(d, PidfDocument.NS_PIDF, "basic").getTextContent());
        assertEquals("Available", only(d, PidfDocument.NS_PIDF, "note").getTextContent());
        assertEquals(0, d.getElementsByTagNameNS(PidfDocument.NS_DATA_MODEL, "person").getLength());
    }

    @Test
    void shouldSayOpenWithTheOnThePhoneActivityDuringACall() throws Exception {
        Document d = parse(PidfDocument.build("sip:1001@pbx.example.net", new LineState(true, List.of(ANSWERED))));
        assertEquals("open", only(d, PidfDocument.NS_PIDF, "basic").getTextContent());
        Element person = only(d, PidfDocument.NS_DATA_MODEL, "person");
        Element activities = only(d, PidfDocument.NS_RPID, "activities");
        assertEquals(person, activities.getParentNode());
        assertEquals(1, activities.getElementsByTagNameNS(PidfDocument.NS_RPID, "on-the-phone").getLength());
        assertEquals("On the phone", only(d, PidfDocument.NS_DATA_MODEL, "note").getTextContent());
    }

    @Test
    void shouldNotCountACallRingingTowardsTheUserAsBusy() throws Exception {
        Document d = parse(PidfDocument.build("sip:alice@h", new LineState(true, List.of(RINGING))));
        assertEquals(0, d.getElementsByTagNameNS(PidfDocument.NS_RPID, "on-the-phone").getLength());
    }

    @Test
    void shouldSayClosedForAUserWhoIsNotRegistered() throws Exception {
        Document d = parse(PidfDocument.build("sip:bob@h", new LineState(false, List.of(ANSWERED))));
        assertEquals("closed", only(d, PidfDocument.NS_PIDF, "basic").getTextContent());
        assertEquals("Offline", only(d, PidfDocument.NS_PIDF, "note").getTextContent());
        assertEquals(0, d.getElementsByTagNameNS(PidfDocument.NS_RPID, "on-the-phone").getLength());
    }

    @Test
    void shouldWriteFullStateDialogInfoWithVersionStateAndDirection() throws Exception {
        Document d = parse(DialogInfoDocument.build("sip:1004@gw", 3, List.of(ANSWERED, RINGING,
                new LineDialog("c9", "x", LineDialog.State.TERMINATED, false))));
        Element info = d.getDocumentElement();
        assertEquals(DialogInfoDocument.NS, info.getNamespaceURI());
        assertEquals("dialog-info", info.getLocalName());
        assertEquals("3", info.getAttribute("version"));
        assertEquals("full", info.getAttribute("state"));
        assertEquals("sip:1004@gw", info.getAttribute("entity"));
        NodeList dialogs = d.getElementsByTagNameNS(DialogInfoDocument.NS, "dialog");
        assertEquals(3, dialogs.getLength());
        Element first = (Element) dialogs.item(0);
        assertEquals("c7", first.getAttribute("id"));
        assertEquals("abc@host", first.getAttribute("call-id"));
        assertEquals("initiator", first.getAttribute("direction"));
        assertEquals("confirmed", first.getElementsByTagNameNS(DialogInfoDocument.NS, "state").item(0).getTextContent());
        Element second = (Element) dialogs.item(1);
        assertNull(second.getAttributeNode("call-id"), "no call-id before the SIP leg exists");
        assertEquals("recipient", second.getAttribute("direction"));
        assertEquals("early", second.getElementsByTagNameNS(DialogInfoDocument.NS, "state").item(0).getTextContent());
        assertEquals("terminated", ((Element) dialogs.item(2)).getElementsByTagNameNS(DialogInfoDocument.NS, "state")
                .item(0).getTextContent());
    }

    @Test
    void shouldWriteAnEmptyDialogListForAnIdleLine() throws Exception {
        Document d = parse(DialogInfoDocument.build("sip:1004@gw", 0, List.of()));
        assertEquals("0", d.getDocumentElement().getAttribute("version"));
        assertEquals(0, d.getElementsByTagNameNS(DialogInfoDocument.NS, "dialog").getLength());
    }

    @Test
    void shouldEscapeWhatTheEntityAndCallIdCarry() throws Exception {
        String odd = "sip:a&b<\"c'>@h";
        assertEquals(odd, parse(PidfDocument.build(odd, LineState.NOBODY)).getDocumentElement().getAttribute("entity"));
        Document d = parse(DialogInfoDocument.build(odd, 0, List.of(new LineDialog("c1", "<&>\"", LineDialog.State.EARLY,
                true))));
        assertEquals(odd, d.getDocumentElement().getAttribute("entity"));
        assertEquals("<&>\"", ((Element) d.getElementsByTagNameNS(DialogInfoDocument.NS, "dialog").item(0))
                .getAttribute("call-id"));
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Document d, String ns, String name) {
        NodeList l = d.getElementsByTagNameNS(ns, name);
        assertEquals(1, l.getLength(), name + " in " + ns);
        return (Element) l.item(0);
    }
}
