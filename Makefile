# SPDX-License-Identifier: GPL-2.0
#
# edu - TCP implemented from scratch as the socket family AF_EDU.
#
#   make            build the module (mod/edu.ko) and the tools
#   make module     build the module for KDIR
#   make tools      build the userspace programs in tools/ (no kernel headers)
#   make lint       checkpatch --strict, sparse and W=1 on both kernels
#   make unit       unit tests of the pure logic under ASan/UBSan
#   make run        set up, build, boot a VM: nginx and curl over AF_EDU
#   make check      set up, lint, unit tests, kselftests in VMs on 6.12 and 6.1
#
# KDIR picks the kernel headers: the running kernel's if it has them (a real
# host), else the newest Debian 6.12 headers that scripts/setup installed.

EDU_CACHE ?= /var/cache/edu
KVERS := $(shell cat $(EDU_CACHE)/kvers 2>/dev/null)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR ?= /lib/modules/$(shell uname -r)/build
else
KDIR ?= /lib/modules/$(firstword $(KVERS))/build
endif

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools:
	$(MAKE) -C tools

# These need the kernel source's checkers and kselftest harness: setup
# provides them (and returns at once when everything is there).
lint: setup
	scripts/lint

unit: setup
	$(MAKE) -C selftests/unit run

selftests: setup
	$(MAKE) -C selftests/edu

setup:
	scripts/setup

run: setup
	$(MAKE) module tools KDIR=/lib/modules/$(firstword $(shell cat $(EDU_CACHE)/kvers))/build
	scripts/vm -- scripts/demo

check:
	scripts/check

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/edu clean
	rm -rf build

.PHONY: all module tools lint unit selftests setup run check clean
