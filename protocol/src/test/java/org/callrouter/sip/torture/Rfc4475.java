package org.callrouter.sip.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The 49 torture messages of RFC 4475 with the verdict this codec gives each: valid, or the
 * status a UAS answers with. The verdict is the parser's plus, for a request,
 * {@code RequestValidator.defaults()}'s. The messages are test resources under
 * {@code /sip-torture/}, byte for byte as the RFC's archive gives them.
 */
public enum Rfc4475 {

    // 3.1.1 Valid messages: must parse
    WSINV("wsinv", "3.1.1.1", 0),
    INTMETH("intmeth", "3.1.1.2", 0),
    ESC01("esc01", "3.1.1.3", 0),
    ESCNULL("escnull", "3.1.1.4", 0),
    ESC02("esc02", "3.1.1.5", 0),
    LWSDISP("lwsdisp", "3.1.1.6", 0),
    LONGREQ("longreq", "3.1.1.7", 0),
    DBLREQ("dblreq", "3.1.1.8", 0),
    SEMIURI("semiuri", "3.1.1.9", 0),
    TRANSPORTS("transports", "3.1.1.10", 0),
    MPART01("mpart01", "3.1.1.11", 0),
    UNREASON("unreason", "3.1.1.12", 0),
    NOREASON("noreason", "3.1.1.13", 0),
    // 3.1.2 Invalid messages: 400 (505 for the version)
    BADINV01("badinv01", "3.1.2.1", 400),
    CLERR("clerr", "3.1.2.2", 400),
    NCL("ncl", "3.1.2.3", 400),
    SCALAR02("scalar02", "3.1.2.4", 400),
    SCALARLG("scalarlg", "3.1.2.5", 400),
    QUOTBAL("quotbal", "3.1.2.6", 400),
    LTGTRURI("ltgtruri", "3.1.2.7", 400),
    LWSRURI("lwsruri", "3.1.2.8", 400),
    LWSSTART("lwsstart", "3.1.2.9", 400),
    TRWS("trws", "3.1.2.10", 400),
    ESCRURI("escruri", "3.1.2.11", 400),
    BADDATE("baddate", "3.1.2.12", 400),
    REGBADCT("regbadct", "3.1.2.13", 400),
    BADASPEC("badaspec", "3.1.2.14", 400),
    BADDN("baddn", "3.1.2.15", 400),
    BADVERS("badvers", "3.1.2.16", 505),
    MISMATCH01("mismatch01", "3.1.2.17", 400),
    MISMATCH02("mismatch02", "3.1.2.18", 400),
    BIGCODE("bigcode", "3.1.2.19", 400),
    // 3.2 Transaction layer: a branch without the magic cookie is still a valid message
    BADBRANCH("badbranch", "3.2.1", 0),
    // 3.3 Application layer
    INSUF("insuf", "3.3.1", 400),
    UNKSCM("unkscm", "3.3.2", 416),
    NOVELSC("novelsc", "3.3.3", 416),
    UNKSM2("unksm2", "3.3.4", 0),
    BEXT01("bext01", "3.3.5", 420),
    INVUT("invut", "3.3.6", 415),
    REGAUT01("regaut01", "3.3.7", 0),
    MULTI01("multi01", "3.3.8", 400),
    MCL01("mcl01", "3.3.9", 400),
    BCAST("bcast", "3.3.10", 0),
    ZEROMF("zeromf", "3.3.11", 483),
    CPARAM01("cparam01", "3.3.12", 0),
    CPARAM02("cparam02", "3.3.13", 0),
    REGESCRT("regescrt", "3.3.14", 0),
    SDP01("sdp01", "3.3.15", 406),
    // 3.4 Backward compatibility: RFC 2543 syntax is accepted
    INV2543("inv2543", "3.4.1", 0);

    private final String file;
    private final String section;
    private final int status;

    Rfc4475(String file, String section, int status) {
        this.file = file;
        this.section = section;
        this.status = status;
    }

    /** The file name without ".dat", the RFC's own name for the message. */
    public String file() {
        return file;
    }

    /** The RFC 4475 section. */
    public String section() {
        return section;
    }

    /** Whether the message is valid. */
    public boolean valid() {
        return status == 0;
    }

    /** The status of the answer to an invalid message (0 when valid). */
    public int status() {
        return status;
    }

    /** The message's bytes. */
    public byte[] bytes() {
        try (InputStream in = Rfc4475.class.getResourceAsStream("/sip-torture/" + file + ".dat")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /sip-torture/" + file + ".dat");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
