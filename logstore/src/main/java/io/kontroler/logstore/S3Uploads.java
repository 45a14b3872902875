package io.kontroler.logstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** Puts a file into S3: one request when small, a multipart upload when large. */
final class S3Uploads {
  private final S3Client client;
  private final String bucket;
  private final long multipartThreshold;
  private final int partSize;

  S3Uploads(S3Client client, String bucket, long multipartThreshold, long partSize) {
    this.client = client;
    this.bucket = bucket;
    this.multipartThreshold = multipartThreshold;
    this.partSize = Math.toIntExact(partSize);
  }

  void put(String key, Path file) throws IOException {
    long size = Files.size(file);
    if (size < multipartThreshold) {
      client.putObject(
          b -> b.bucket(bucket).key(key).contentType("text/plain; charset=utf-8"),
          RequestBody.fromFile(file));
      return;
    }
    String uploadId =
        client
            .createMultipartUpload(
                b -> b.bucket(bucket).key(key).contentType("text/plain; charset=utf-8"))
            .uploadId();
    try {
      List<CompletedPart> parts = uploadParts(key, uploadId, file);
      client.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (SdkException | IOException e) {
      abortQuietly(key, uploadId, e);
      throw e;
    }
  }

  private List<CompletedPart> uploadParts(String key, String uploadId, Path file)
      throws IOException {
    List<CompletedPart> parts = new ArrayList<>();
    byte[] buffer = new byte[partSize];
    try (InputStream in = Files.newInputStream(file)) {
      int partNumber = 1;
      int n;
      while ((n = in.readNBytes(buffer, 0, partSize)) > 0) {
        int number = partNumber++;
        String etag =
            client
                .uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(n == partSize ? buffer.clone() : slice(buffer, n)))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
    }
    return parts;
  }

  private static byte[] slice(byte[] buffer, int length) {
    byte[] copy = new byte[length];
    System.arraycopy(buffer, 0, copy, 0, length);
    return copy;
  }

  private void abortQuietly(String key, String uploadId, Exception cause) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      cause.addSuppressed(e);
    }
  }
}
