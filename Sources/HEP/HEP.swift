/// HEP (Homer Encapsulation Protocol) codec and SIP field extraction.
public enum HEPModule {}
