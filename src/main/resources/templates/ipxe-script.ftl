#!ipxe

set ipxe-svc [=body.serviceUrl()]
set kernel-url [=body.kernelUrl()]
set initrd-url [=body.initrdUrl()]
<#if body.hasSquashfs()>set squashfs-url [=body.squashfsUrl()]</#if>

echo Loading kernel...
kernel ${kernel-url} initrd=initrd<#if body.hasSquashfs()> gl.ovl=/:tmpfs gl.url=${squashfs-url} gl.live=1</#if> ip=any ignition.firstboot=1 ignition.config.url=${ipxe-svc}/ignition/${uuid} ignition.platform.id=metal console=ttyS0,115200 console=tty0 console=ttyAMA0 earlyprintk=ttyS0,115200 consoleblank=0
echo Loading initrd...
initrd ${initrd-url}
echo Booting...
boot
