package dev.ironcore.boot.ipxe;

/** The chainload script's model: iPXE comes back to {@code <serviceUrl>/ipxe/${uuid}}. */
public record IpxeChainload(String serviceUrl) {}
