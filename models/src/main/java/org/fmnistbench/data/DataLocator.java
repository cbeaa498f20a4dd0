package org.fmnistbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.SuiteDirs;

/**
 * Finds the Fashion-MNIST files, in this order:
 * <ol>
 *   <li>a directory named by system property {@value #DIR_PROPERTY} or environment variable
 *       {@value #DIR_ENV} (an error if it lacks a file: the user asked for it);
 *   <li>Debian's {@code /usr/share/datasets/fashion-mnist/} (package dataset-fashion-mnist);
 *   <li>the per-user cache ({@value #CACHE_PROPERTY} / {@value #CACHE_ENV}, else
 *       {@code $XDG_CACHE_HOME/dl4j-fmnist-suite/fashion-mnist}, else {@code ~/.cache/...});
 *   <li>a download of the canonical files into that cache.
 * </ol>
 * A download goes to a temporary file in the cache directory, is verified (gzip, IDX header,
 * SHA-256 of the content) and only then renamed into place, so an interrupted or bad download
 * never leaves a file that looks complete.
 */
public final class DataLocator {
  public static final String DIR_PROPERTY = "fmnist.dir";
  public static final String DIR_ENV = "FMNIST_DIR";
  public static final String CACHE_PROPERTY = "fmnist.cache";
  public static final String CACHE_ENV = "FMNIST_CACHE";
  public static final String URL_PROPERTY = "fmnist.url";
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** Where Zalando Research publishes the files. */
  public static final URI CANONICAL_BASE =
      URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

  private final Optional<Path> explicitDir;
  private final List<Path> systemDirs;
  private final Path cacheDir;
  private final URI baseUrl;
  private final List<DataFileSpec> specs;

  public DataLocator(Optional<Path> explicitDir, List<Path> systemDirs, Path cacheDir,
      URI baseUrl, List<DataFileSpec> specs) {
    this.explicitDir = explicitDir;
    this.systemDirs = List.copyOf(systemDirs);
    this.cacheDir = cacheDir;
    this.baseUrl = baseUrl.toString().endsWith("/") ? baseUrl : URI.create(baseUrl + "/");
    this.specs = List.copyOf(specs);
  }

  /** The locator configured from system properties, environment and the defaults above. */
  public static DataLocator fromEnvironment() {
    Optional<Path> explicit = setting(DIR_PROPERTY, DIR_ENV).map(Path::of);
    Path cache = setting(CACHE_PROPERTY, CACHE_ENV).map(Path::of).orElseGet(DataLocator::defaultCache);
    URI base = Optional.ofNullable(System.getProperty(URL_PROPERTY)).map(URI::create).orElse(CANONICAL_BASE);
    return new DataLocator(explicit, List.of(DEBIAN_DIR), cache, base, DataFileSpec.FASHION_MNIST);
  }

  private static Optional<String> setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return Optional.ofNullable(v).filter(s -> !s.isBlank());
  }

  private static Path defaultCache() {
    return SuiteDirs.cacheRoot().resolve("fashion-mnist");
  }

  /** The cache directory downloads go to. */
  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * Returns the directory holding all files, downloading into the cache if no other place has
   * them. Contents are not verified here; {@link IdxFile#read} verifies on every load.
   */
  public Path locate() {
    if (explicitDir.isPresent()) {
      Path dir = explicitDir.get();
      List<String> missing = missingIn(dir);
      if (!missing.isEmpty()) {
        throw new DataFileException("Fashion-MNIST directory " + dir + " (from -D" + DIR_PROPERTY
            + " or $" + DIR_ENV + ") lacks " + String.join(", ", missing));
      }
      return dir;
    }
    for (Path dir : systemDirs) {
      if (missingIn(dir).isEmpty()) {
        return dir;
      }
    }
    for (DataFileSpec spec : specs) {
      if (!Files.isRegularFile(cacheDir.resolve(spec.name()))) {
        download(spec);
      }
    }
    return cacheDir;
  }

  private List<String> missingIn(Path dir) {
    List<String> missing = new ArrayList<>();
    for (DataFileSpec spec : specs) {
      if (!Files.isRegularFile(dir.resolve(spec.name()))) {
        missing.add(spec.name());
      }
    }
    return missing;
  }

  private void download(DataFileSpec spec) {
    URI url = baseUrl.resolve(spec.name());
    System.err.println("Downloading " + url + " into " + cacheDir);
    try {
      // The file is verified before it is renamed into place; a bad one is deleted.
      AtomicFiles.write(cacheDir.resolve(spec.name()), tmp -> {
        fetch(url, tmp);
        IdxFile.read(tmp, spec); // throws, naming the temp file, if anything is wrong
      });
    } catch (DataFileException e) {
      throw new DataFileException("download of " + url + " rejected, nothing cached: " + e.getMessage());
    } catch (InterruptedIOException e) {
      throw new DataFileException("download of " + url + " interrupted, nothing cached");
    } catch (IOException e) {
      throw new DataFileException("download of " + url + " into " + cacheDir + " failed: " + e);
    }
  }

  private static void fetch(URI url, Path into) throws IOException {
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new DataFileException("download of " + url + " failed: HTTP " + response.statusCode());
      }
      Files.copy(body, into, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
