-- Optional third bootloader of a distributor: iPXE for arm64 UEFI hosts (PXE client type ARM64_EFI).
ALTER TABLE distributors ADD COLUMN ipxe_pxe_arm64_url VARCHAR(2000);
