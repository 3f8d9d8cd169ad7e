#!ipxe

set ipxe-svc [=script.serviceUrl()]
set kernel-url [=script.kernelUrl()]
set initrd-url [=script.initrdUrl()]
<#if script.hasSquashfs()>set squashfs-url [=script.squashfsUrl()]</#if>

echo Loading kernel...
kernel ${kernel-url} initrd=initrd<#if script.hasSquashfs()> gl.ovl=/:tmpfs gl.url=${squashfs-url} gl.live=1</#if> ip=any ignition.firstboot=1 ignition.config.url=${ipxe-svc}/ignition/${uuid} ignition.platform.id=metal console=ttyS0,115200 console=tty0 console=ttyAMA0 earlyprintk=ttyS0,115200 consoleblank=0
echo Loading initrd...
initrd ${initrd-url}
echo Booting...
boot
