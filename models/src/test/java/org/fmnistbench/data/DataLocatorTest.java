package org.fmnistbench.data;

import static org.fmnistbench.data.IdxTestFiles.gzip;
import static org.fmnistbench.data.IdxTestFiles.idx;
import static org.fmnistbench.data.IdxTestFiles.payload;
import static org.fmnistbench.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order and the download path, against an HTTP server on loopback. */
class DataLocatorTest {
  @TempDir Path tmp;

  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private URI base;

  private final byte[] imagesRaw = idx(new int[] {2, 2, 2}, payload(8));
  private final byte[] labelsRaw = idx(new int[] {2}, payload(2));
  private final List<DataFileSpec> specs = List.of(
      new DataFileSpec("images.gz", new int[] {2, 2, 2}, IdxFile.sha256(imagesRaw)),
      new DataFileSpec("labels.gz", new int[] {2}, IdxFile.sha256(labelsRaw)));

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring(1);
      byte[] body = served.get(name);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private DataLocator locator(Optional<Path> explicit, List<Path> systemDirs) {
    return new DataLocator(explicit, systemDirs, tmp.resolve("cache"), base, specs);
  }

  @Test
  void downloadsVerifiesAndCachesGoodFiles() {
    served.put("images.gz", gzip(imagesRaw));
    served.put("labels.gz", gzip(labelsRaw));
    Path dir = locator(Optional.empty(), List.of(tmp.resolve("nowhere"))).locate();
    assertEquals(tmp.resolve("cache"), dir);
    assertArrayEquals(payload(8), IdxFile.read(dir.resolve("images.gz"), specs.get(0)).data());
    assertEquals(List.of("images.gz", "labels.gz"), cacheContents());
    // A second call finds the cache and downloads nothing.
    served.clear();
    assertEquals(dir, locator(Optional.empty(), List.of()).locate());
  }

  @Test
  void aTruncatedDownloadIsRejectedAndLeavesNothing() {
    byte[] gz = gzip(imagesRaw);
    served.put("images.gz", Arrays.copyOf(gz, gz.length - 10));
    served.put("labels.gz", gzip(labelsRaw));
    DataFileException e = assertThrows(DataFileException.class,
        () -> locator(Optional.empty(), List.of()).locate());
    assertTrue(e.getMessage().contains("images.gz") && e.getMessage().contains("not a complete gzip file"),
        e.getMessage());
    assertEquals(List.of(), cacheContents());
  }

  @Test
  void aCorruptedDownloadIsRejectedAndLeavesNothing() {
    byte[] corrupt = imagesRaw.clone();
    corrupt[corrupt.length - 1] ^= 0x55;
    served.put("images.gz", gzip(corrupt));
    served.put("labels.gz", gzip(labelsRaw));
    DataFileException e = assertThrows(DataFileException.class,
        () -> locator(Optional.empty(), List.of()).locate());
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing cached"), e.getMessage());
    assertEquals(List.of(), cacheContents());
  }

  @Test
  void aMissingRemoteFileIsNamed() {
    served.put("images.gz", gzip(imagesRaw));
    DataFileException e = assertThrows(DataFileException.class,
        () -> locator(Optional.empty(), List.of()).locate());
    assertTrue(e.getMessage().contains("labels.gz") && e.getMessage().contains("HTTP 404"), e.getMessage());
    assertEquals(List.of("images.gz"), cacheContents(), "the good file stays, the bad one is not left");
  }

  @Test
  void aSystemDirectoryWithAllFilesWinsOverTheCache() {
    Path system = tmp.resolve("system");
    write(system.resolve("images.gz"), gzip(imagesRaw));
    write(system.resolve("labels.gz"), gzip(labelsRaw));
    assertEquals(system, locator(Optional.empty(), List.of(system)).locate());
  }

  @Test
  void anExplicitDirectoryLackingAFileIsAnError() {
    Path explicit = tmp.resolve("explicit");
    write(explicit.resolve("images.gz"), gzip(imagesRaw));
    DataFileException e = assertThrows(DataFileException.class,
        () -> locator(Optional.of(explicit), List.of()).locate());
    assertTrue(e.getMessage().contains(explicit + " (from -Dfmnist.dir or $FMNIST_DIR) lacks labels.gz"),
        e.getMessage());
  }

  private List<String> cacheContents() {
    Path cache = tmp.resolve("cache");
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
