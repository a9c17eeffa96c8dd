indicator { id = "utf8", evaluate = function(e) return none(utf8.char(0x10FFFF, 233) .. "\u{7FFFFFFF}" .. "\xff\xfe") end }
