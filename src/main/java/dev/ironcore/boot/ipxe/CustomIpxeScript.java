package dev.ironcore.boot.ipxe;

/** A script a user stored in a Secret (key {@code ipxe-script}); served byte for byte, never logged. */
public record CustomIpxeScript(byte[] bytes) {}
