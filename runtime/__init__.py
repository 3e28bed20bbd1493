"""trunkline: async clients for communications APIs."""
