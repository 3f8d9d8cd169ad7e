#!ipxe

set ipxe-svc [=body.serviceUrl()]

set base-url ${ipxe-svc}/ipxe
chain --replace --autofree ${base-url}/${uuid}