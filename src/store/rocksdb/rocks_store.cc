// Placeholder: the RocksDB store is being written (src/store/rocksdb/).
