package io.runtimepolicy.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sums the int[] arrays of a heap dump (HPROF), as the JVM lays them out with compressed oops
 * (16-byte header, 8-byte alignment). A dump holds live objects only, without the int[] filler
 * objects that Serial's full GC leaves as dead wood (MarkSweepDeadRatio, 5% of the old generation)
 * and that the class histogram counts as int[].
 */
final class HprofIntArrays {

  private static final int HEAP_DUMP = 0x0C;
  private static final int HEAP_DUMP_SEGMENT = 0x1C;

  private HprofIntArrays() {}

  static long liveBytes(Path hprof) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(hprof), 1 << 16))) {
      while (in.readByte() != 0) {
        // the format name, up to its NUL
      }
      int id = in.readInt();
      in.readLong();
      long total = 0;
      while (true) {
        int tag;
        try {
          tag = in.readUnsignedByte();
        } catch (EOFException end) {
          return total;
        }
        in.readInt();
        long length = Integer.toUnsignedLong(in.readInt());
        if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
          total += segment(in, length, id);
        } else {
          in.skipNBytes(length);
        }
      }
    }
  }

  private static long segment(DataInputStream in, long length, int id) throws IOException {
    long read = 0;
    long ints = 0;
    while (read < length) {
      int sub = in.readUnsignedByte();
      long n =
          switch (sub) {
            case 0xFF, 0x05, 0x07 -> skip(in, id);
            case 0x01 -> skip(in, 2L * id);
            case 0x02, 0x03, 0x08 -> skip(in, id + 8L);
            case 0x04, 0x06 -> skip(in, id + 4L);
            case 0x20 -> classDump(in, id);
            case 0x21 -> instance(in, id);
            case 0x22 -> objectArray(in, id);
            case 0x23 -> {
              skip(in, id + 4L);
              int count = in.readInt();
              int type = in.readUnsignedByte();
              if (type == 10) {
                ints += (16 + 4L * count + 7) / 8 * 8;
              }
              yield id + 9L + skip(in, (long) count * size(type, id));
            }
            default ->
                throw new IOException("unknown heap dump record " + Integer.toHexString(sub));
          };
      read += 1 + n;
    }
    return ints;
  }

  private static long classDump(DataInputStream in, int id) throws IOException {
    long n = skip(in, id + 4L + 6L * id + 4);
    int constants = in.readUnsignedShort();
    n += 2;
    for (int i = 0; i < constants; i++) {
      in.readUnsignedShort();
      n += 3 + skip(in, size(in.readUnsignedByte(), id));
    }
    int statics = in.readUnsignedShort();
    n += 2;
    for (int i = 0; i < statics; i++) {
      skip(in, id);
      n += id + 1 + skip(in, size(in.readUnsignedByte(), id));
    }
    int fields = in.readUnsignedShort();
    return n + 2 + skip(in, fields * (id + 1L));
  }

  private static long instance(DataInputStream in, int id) throws IOException {
    skip(in, 2L * id + 4);
    int bytes = in.readInt();
    return 2L * id + 8 + skip(in, bytes);
  }

  private static long objectArray(DataInputStream in, int id) throws IOException {
    skip(in, id + 4L);
    int count = in.readInt();
    return id + 8L + skip(in, id + (long) count * id);
  }

  private static int size(int type, int id) {
    return switch (type) {
      case 2 -> id;
      case 4, 8 -> 1;
      case 5, 9 -> 2;
      case 6, 10 -> 4;
      case 7, 11 -> 8;
      default -> throw new IllegalArgumentException("unknown basic type " + type);
    };
  }

  private static long skip(DataInputStream in, long n) throws IOException {
    in.skipNBytes(n);
    return n;
  }
}
