#!ipxe

set ipxe-svc [=chainload.serviceUrl()]

set base-url ${ipxe-svc}/ipxe
chain --replace --autofree ${base-url}/${uuid}