package monitor

import "unsafe"

func unsafeSizeof() uintptr { return unsafe.Sizeof(History{}) }
