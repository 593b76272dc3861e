package io.clusterplatform.provisioner.server.lab.storm;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A TFTP read (RFC 1350 with the option extension of RFC 2347, blksize 2348, tsize 2349) as PXE firmware
 * does it: an RRQ in octet mode asking for {@code blksize} and {@code tsize}, the OACK acknowledged with
 * block 0, then lock-step DATA/ACK from the server's transfer port until a short block. Timeouts
 * retransmit like firmware: the RRQ after 1, 2, 4, 8 and 16 s (a busy server, dnsmasq past its {@code
 * tftp-max}, just stays silent), a lost DATA by repeating the last ACK after 1, 2 and 4 s; then the
 * transfer fails. The first transfer to answer is the one followed; packets of others (a server that
 * read a repeated RRQ late starts one per RRQ) get error 5, "unknown transfer ID", as RFC 1350 asks.
 * A server without options (a plain DATA 1) works too, with 512-byte blocks.
 */
public final class TftpClient {
    /**
     * What a read got: its size, SHA-256, how many packets had to be sent again, and how many other
     * transfers of the same file (started by the server for a repeated RRQ) were told error 5.
     */
    public record Result(long bytes, String sha256, int rrqRetries, int ackRetries, int blockSize, int strays) {}

    /** The transfer failed: the server said so, or stayed silent past the retries or the deadline. */
    public static final class TftpException extends IOException {
        private final int retries;

        TftpException(String message, int retries) {
            super(message);
            this.retries = retries;
        }

        /** Retransmissions made before giving up. */
        public int retries() {
            return retries;
        }
    }

    private static final int RRQ = 1;
    private static final int DATA = 3;
    private static final int ACK = 4;
    private static final int ERROR = 5;
    private static final int OACK = 6;
    private static final int[] RRQ_TIMEOUTS_MS = {1000, 2000, 4000, 8000, 16000};
    private static final int[] DATA_TIMEOUTS_MS = {1000, 2000, 4000};
    private static final byte[] UNKNOWN_TID = unknownTid();

    private TftpClient() {}

    /**
     * Reads {@code file} from {@code server} (port 69) over a socket bound to {@code local}, giving up at
     * {@code deadlineNanos} ({@link System#nanoTime()}).
     */
    public static Result read(InetAddress local, InetAddress server, String file, int blksize, long deadlineNanos)
            throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            byte[] rrq = rrq(file, blksize);
            DatagramPacket in = new DatagramPacket(new byte[Math.max(blksize, 512) + 4], Math.max(blksize, 512) + 4);
            int rrqRetries = 0;
            int ackRetries = 0;
            InetSocketAddress peer = null;
            int blockSize = 512;
            long bytes = 0;
            int expected = 1; // the next DATA block, modulo 65536
            byte[] lastAck = null;
            int silent = 0;
            int strays = 0;
            while (true) {
                if (peer == null) {
                    socket.send(new DatagramPacket(rrq, rrq.length, new InetSocketAddress(server, 69)));
                }
                int[] timeouts = peer == null ? RRQ_TIMEOUTS_MS : DATA_TIMEOUTS_MS;
                int timeout = timeouts[Math.min(silent, timeouts.length - 1)];
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new TftpException("deadline passed at block " + expected, rrqRetries + ackRetries);
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(timeout, left)));
                try {
                    in.setLength(in.getData().length);
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    silent++;
                    if (silent >= timeouts.length) {
                        throw new TftpException(
                                (peer == null ? "no answer to the RRQ" : "no DATA " + expected) + " after " + silent
                                        + " tries",
                                rrqRetries + ackRetries);
                    }
                    if (peer == null) {
                        rrqRetries++;
                    } else {
                        ackRetries++;
                        socket.send(new DatagramPacket(lastAck, lastAck.length, peer));
                    }
                    continue;
                }
                if (!in.getAddress().equals(server) || in.getLength() < 4) {
                    continue;
                }
                if (peer != null && !peer.equals(in.getSocketAddress())) {
                    // Another transfer the server started for a repeated RRQ: RFC 1350 says to answer it
                    // with error 5, which ends it at once instead of holding one of the server's slots.
                    strays++;
                    socket.send(new DatagramPacket(UNKNOWN_TID, UNKNOWN_TID.length, in.getSocketAddress()));
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(in.getData(), 0, in.getLength());
                int opcode = b.getShort() & 0xffff;
                if (opcode == ERROR) {
                    int code = b.getShort() & 0xffff;
                    throw new TftpException("error " + code + ": " + text(b), rrqRetries + ackRetries);
                }
                if (peer == null) {
                    peer = (InetSocketAddress) in.getSocketAddress();
                }
                silent = 0;
                if (opcode == OACK) {
                    blockSize = parseBlksize(b);
                    in = new DatagramPacket(new byte[blockSize + 4], blockSize + 4);
                    lastAck = ack(0);
                    socket.send(new DatagramPacket(lastAck, lastAck.length, peer));
                    continue;
                }
                if (opcode != DATA) {
                    continue;
                }
                int block = b.getShort() & 0xffff;
                if (block != expected) {
                    // A repeat of the block before: our ACK was lost; acknowledge it again.
                    if (lastAck != null) {
                        socket.send(new DatagramPacket(lastAck, lastAck.length, peer));
                    }
                    continue;
                }
                int length = b.remaining();
                sha.update(in.getData(), 4, length);
                bytes += length;
                lastAck = ack(block);
                socket.send(new DatagramPacket(lastAck, lastAck.length, peer));
                expected = (expected + 1) & 0xffff;
                if (length < blockSize) {
                    return new Result(
                            bytes, HexFormat.of().formatHex(sha.digest()), rrqRetries, ackRetries, blockSize, strays);
                }
            }
        }
    }

    private static byte[] rrq(String file, int blksize) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) RRQ);
        zeroTerminated(b, file);
        zeroTerminated(b, "octet");
        zeroTerminated(b, "tsize");
        zeroTerminated(b, "0");
        zeroTerminated(b, "blksize");
        zeroTerminated(b, Integer.toString(blksize));
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] unknownTid() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putShort((short) ERROR).putShort((short) 5);
        zeroTerminated(b, "Unknown transfer ID");
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] ack(int block) {
        return new byte[] {0, ACK, (byte) (block >> 8), (byte) block};
    }

    /** The blksize the OACK grants (RFC 2348 lets the server lower it); 512 when it leaves it out. */
    private static int parseBlksize(ByteBuffer b) {
        int size = 512;
        boolean named = false;
        while (b.hasRemaining()) {
            String name = text(b);
            String value = text(b);
            if (name.equalsIgnoreCase("blksize")) {
                size = Integer.parseInt(value);
                named = true;
            }
        }
        return named ? size : 512;
    }

    private static void zeroTerminated(ByteBuffer b, String s) {
        b.put(s.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    }

    private static String text(ByteBuffer b) {
        int start = b.position();
        while (b.hasRemaining() && b.get() != 0) {
            // to the NUL
        }
        int end = b.position() - (b.position() > start && b.get(b.position() - 1) == 0 ? 1 : 0);
        return new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.US_ASCII);
    }
}
